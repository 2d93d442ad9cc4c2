"""Writes of the learning app. Each section has one owner; add functions inside your own section only."""

# === stories (draft from a closed case, edit, approve, publish) ===


# === themes, proposals and learning sessions ===
