from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "vern.consent"
    label = "consent"
    verbose_name = "Consent"

    def ready(self) -> None:
        # The assessment (below consent) derives factors 7 and 8 from these facts
        # (docs/adr/0011).
        from vern.assessments.sources import register_consent_reader
        from vern.consent.assessment_facts import read_consent_facts

        register_consent_reader(read_consent_facts)
