from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "vern.reminders"
    label = "reminders"
    verbose_name = "Reminders"
