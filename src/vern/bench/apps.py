from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks: a fast synthetic dataset (``vern bench seed``) and the framework floor view
    (routed only when ``VERN_BENCH_ENDPOINTS`` is true). See docs/performance.md."""

    name = "vern.bench"
    label = "bench"
    verbose_name = "Benchmarks"
