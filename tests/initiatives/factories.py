import factory

from doorbraak.initiatives import services
from doorbraak.initiatives.models import Comment, Initiative, Research, Submission


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"initiatief-{n}")
    name = factory.Sequence(lambda n: f"Initiatief {n}")
    place = "Utrecht"
    region = "Utrecht"
    target_group = "Inwoners"
    summary = "Een initiatief dat zorg anders doet."
    is_published = True

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            services.reindex(obj)


class ResearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Research

    initiative = factory.SubFactory(InitiativeFactory)
    question = "Wat werkt hier?"


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    form_token = factory.Sequence(lambda n: f"tok-s-{n}")
    name = factory.Sequence(lambda n: f"Aangemeld initiatief {n}")
    place = "Zwolle"
    description = "Zij doen het anders."
    link = "https://www.voorbeeld.nl"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    form_token = factory.Sequence(lambda n: f"tok-c-{n}")
    initiative = factory.SubFactory(InitiativeFactory)
    body = "Mooi initiatief."
