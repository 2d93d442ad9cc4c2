"""Background task of the stories: the second pair of eyes (second_eyes) reads a story after each save."""

from doorbraak.core.tasks import retried_task

from . import second_eyes


@retried_task
def check_story_text(story_id: int) -> int | None:
    """Run the Dutch de-identification model over one story and update its flags (idempotent)."""
    return second_eyes.check_story(story_id)
