"""The stages and directions of docs/stage-codebook.md, in order, without the
model's imports: the review app and storage read them too."""

STAGES = ("表明", "検討", "決定", "予算・法案", "成立", "実施")
DIRECTIONS = ("前進", "後退", "停滞")
FORWARD, REGRESS, STALLED = DIRECTIONS
