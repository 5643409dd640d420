from django.apps import AppConfig


class ChildWelfareConfig(AppConfig):
    name = "vern.childwelfare"
    label = "childwelfare"
    verbose_name = "Child welfare notifications"
