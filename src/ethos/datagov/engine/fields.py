"""Early checks that the fields a scan reads exist, before any shard runs.

A Parquet file names its columns in its schema; a JSONL file is judged by its first
records. Either way a wrong ``--text-field`` or ``--id-field`` is a clear error naming the
file, the field and the fields the file has, instead of a scan that rejects every line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .compression import open_binary
from .corpus import InputFile
from .errors import ScanInputError

if TYPE_CHECKING:
    from .readers import ReadOptions

__all__ = ["SAMPLE_RECORDS", "check_columns", "check_jsonl_fields"]

# How many JSON objects at the start of a JSONL file are looked at.
SAMPLE_RECORDS = 100
# Lines longer than this are not read whole for the check (they are not looked at).
_SAMPLE_LINE_BYTES = 1 << 20
_SHOWN_FIELDS = 20


def check_columns(file: InputFile, options: ReadOptions) -> None:
    """Fail early when a Parquet file lacks the text or id column, or has the wrong type.

    Raises
    ------
    ScanInputError
        Naming the file, the field and the columns the file has.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(file.path)
    except (OSError, pa.ArrowException) as error:
        raise ScanInputError(
            f"{file.name}: not a readable Parquet file ({error})",
            ko=f"{file.name}: 읽을 수 있는 Parquet 파일이 아닙니다({error})",
        ) from None
    names = schema.names
    for role, field in (("text", options.text_field), ("id", options.id_field)):
        if field is not None and field not in names:
            raise ScanInputError(
                f"{file.name}: no {role} field '{field}' (columns: {', '.join(names)})",
                ko=f"{file.name}: {role} 필드 '{field}'이(가) 없습니다(열: {', '.join(names)})",
            )
    kind = schema.field(options.text_field).type
    if not (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
    ):
        raise ScanInputError(
            f"{file.name}: text field '{options.text_field}' has type {kind}, not string",
            ko=(
                f"{file.name}: text 필드 '{options.text_field}'의 형식이 문자열이 아니라 "
                f"{kind}입니다"
            ),
        )


def _first_records(file: InputFile) -> list[dict[str, Any]]:
    """Up to :data:`SAMPLE_RECORDS` JSON objects from the start of ``file``; lines that
    are blank, too long, undecodable or not an object are passed over."""
    records: list[dict[str, Any]] = []
    with open_binary(file.path, file.compression) as stream:
        for _ in range(SAMPLE_RECORDS * 10):
            raw = stream.readline(_SAMPLE_LINE_BYTES)
            if not raw:
                break
            if not raw.endswith(b"\n") and len(raw) == _SAMPLE_LINE_BYTES:
                # A line too long to judge by: pass over the rest of it, a piece at a time.
                while (rest := stream.readline(_SAMPLE_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
                continue
            try:
                value = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                continue
            if isinstance(value, dict):
                records.append(value)
                if len(records) == SAMPLE_RECORDS:
                    break
    return records


def check_jsonl_fields(files: Sequence[InputFile], options: ReadOptions) -> None:
    """Fail early when no JSONL file of the corpus has the text field (or the id field,
    when one is asked for) among its first records: the field name is wrong, and every
    line would be rejected. Files are looked at in order until one has the field; files
    without the field in a corpus where one has it (a manifest beside the data, say) are
    scanned, and their lines without it are rejects, as are such lines anywhere. Files
    with no readable record are left to the scan.

    Raises
    ------
    ScanInputError
        Naming the first file looked at, the field and the fields its records have.
    """
    for role, field in (("text", options.text_field), ("id", options.id_field)):
        if field is not None:
            _check_field(files, role, field)


def _check_field(files: Sequence[InputFile], role: str, field: str) -> None:
    first: tuple[InputFile, list[dict[str, Any]]] | None = None
    for file in files:
        records = _first_records(file)
        if any(field in record for record in records):
            return
        if records and first is None:
            first = (file, records)
    if first is None:
        return
    file, records = first
    seen = sorted({str(key) for record in records for key in record})
    shown = ", ".join(seen[:_SHOWN_FIELDS]) + (", ..." if len(seen) > _SHOWN_FIELDS else "")
    count = len(records)
    which = "its first record lacks" if count == 1 else f"its first {count} records lack"
    where = "" if len(files) == 1 else f" (nor has any other of the {len(files)} JSONL files)"
    where_ko = "" if len(files) == 1 else f"(JSONL 파일 {len(files)}개 모두 마찬가지)"
    raise ScanInputError(
        f"{file.name}: {which} the {role} field '{field}'{where} (fields there: {shown}); "
        f"name the field with --{role}-field",
        ko=(
            f"{file.name}: 처음 레코드 {count}개 중 {role} 필드 '{field}'이(가) 있는 것이 "
            f"없습니다{where_ko}(있는 필드: {shown}). 필드 이름을 --{role}-field로 지정하세요"
        ),
    )
