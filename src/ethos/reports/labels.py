"""Interface words of the text renderers, in Korean and English."""

from __future__ import annotations

__all__ = ["label"]

_LABELS: dict[str, dict[str, str]] = {
    "project": {"en": "Project", "ko": "과제"},
    "questionnaire": {"en": "Questionnaire", "ko": "설문"},
    "version": {"en": "version", "ko": "버전"},
    "dimension": {"en": "Dimension", "ko": "영역"},
    "mean": {"en": "Mean", "ko": "평균"},
    "min": {"en": "Min", "ko": "최소"},
    "max": {"en": "Max", "ko": "최대"},
    "technical": {"en": "Technical", "ko": "기술"},
    "business": {"en": "Business", "ko": "사업"},
    "ethics": {"en": "Ethics", "ko": "윤리"},
    "overall": {"en": "Task force", "ko": "TF 전체"},
    "discuss": {
        "en": "Items to discuss (answers 2 or more points apart)",
        "ko": "논의가 필요한 문항 (응답 차이 2점 이상)",
    },
    "consensus": {"en": "consensus", "ko": "합의"},
    "no_consensus": {"en": "no consensus yet", "ko": "합의 전"},
    "stage1": {"en": "Stage 1", "ko": "1단계"},
    "complete": {"en": "complete", "ko": "완료"},
    "incomplete": {"en": "incomplete", "ko": "미완료"},
    "closed": {"en": "closed", "ko": "종료됨"},
    "missing_role": {"en": "no member with role", "ko": "해당 역할 구성원 없음"},
    "unanswered": {"en": "unanswered items", "ko": "미응답 문항"},
    "radar_title": {"en": "Stage-1 exposure profile", "ko": "1단계 과제 특성 프로파일"},
    "scale_note": {
        "en": "1 = little exposure, 5 = high exposure",
        "ko": "1 = 노출 낮음, 5 = 노출 높음",
    },
    "none": {"en": "none", "ko": "없음"},
}


def label(key: str, lang: str) -> str:
    """The word for ``key`` in ``lang`` (Korean for ``ko``, English otherwise)."""
    entry = _LABELS[key]
    return entry["ko"] if lang == "ko" else entry["en"]
