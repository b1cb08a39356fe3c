"""Interface words of the text renderers, in Korean and English."""

from __future__ import annotations

__all__ = ["label", "labels"]

_LABELS: dict[str, dict[str, str]] = {
    "project": {"en": "Project", "ko": "과제"},
    "questionnaire": {"en": "Questionnaire", "ko": "설문"},
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
    "card_title": {"en": "AI ethics assessment card", "ko": "AI 윤리영향평가 카드"},
    "sec_purpose": {"en": "Purpose and use", "ko": "목적과 용도"},
    "sec_people": {"en": "End users and stakeholders", "ko": "최종 사용자와 이해관계자"},
    "sec_data": {"en": "Training data", "ko": "학습 데이터"},
    "sec_performance": {"en": "Model performance", "ko": "모델 성능"},
    "sec_profile": {"en": "Stage 1: task characteristics", "ko": "1단계: 과제 특성 분석"},
    "sec_findings": {
        "en": "Stages 2 and 3: findings, priorities and verification",
        "ko": "2·3단계: 문제 식별, 우선순위, 이행 확인",
    },
    "sec_limitations": {"en": "Limitations and vulnerabilities", "ko": "한계와 취약점"},
    "sec_signoffs": {"en": "Sign-offs", "ko": "승인 기록"},
    "sec_record": {"en": "Record", "ko": "기록 정보"},
    "purpose": {"en": "Purpose", "ko": "목적"},
    "intended_use": {"en": "Intended use", "ko": "의도된 용도"},
    "out_of_scope": {"en": "Out-of-scope uses", "ko": "범위 밖 용도"},
    "end_users": {"en": "End users", "ko": "최종 사용자"},
    "stakeholders": {"en": "Stakeholders", "ko": "이해관계자"},
    "task_force": {"en": "Task force", "ko": "TF 구성"},
    "model": {"en": "Model", "ko": "모델"},
    "type": {"en": "Type", "ko": "유형"},
    "stage": {"en": "Lifecycle stage", "ko": "수명주기 단계"},
    "priority": {"en": "Priority", "ko": "우선순위"},
    "status": {"en": "Status", "ko": "상태"},
    "category": {"en": "Category", "ko": "분류"},
    "owner": {"en": "Owner", "ko": "담당자"},
    "due": {"en": "Due", "ko": "기한"},
    "plan": {"en": "Plan", "ko": "해결 계획"},
    "evidence": {"en": "Evidence", "ko": "증빙"},
    "verified_by": {"en": "Decided by", "ko": "확인자"},
    "rationale": {"en": "Rationale", "ko": "근거"},
    "metric": {"en": "Metric", "ko": "지표"},
    "value": {"en": "Value", "ko": "값"},
    "dataset": {"en": "Dataset", "ko": "데이터셋"},
    "subgroup": {"en": "Subgroup", "ko": "하위 집단"},
    "version": {"en": "version", "ko": "버전"},
    "licence": {"en": "Licence", "ko": "라이선스"},
    "issued": {"en": "Issued", "ko": "발행"},
    "chain_head": {
        "en": "Audit-chain head at issue (check with `ethos audit verify --expect-head`)",
        "ko": "발행 시점 감사 체인 헤드 (`ethos audit verify --expect-head`로 확인)",
    },
    "not_recorded": {"en": "not recorded", "ko": "기록 없음"},
}


def label(key: str, lang: str) -> str:
    """The word for ``key`` in ``lang`` (Korean for ``ko``, English otherwise)."""
    entry = _LABELS[key]
    return entry["ko"] if lang == "ko" else entry["en"]


def labels(lang: str) -> dict[str, str]:
    """Every word in ``lang``, for templates."""
    return {key: label(key, lang) for key in _LABELS}
