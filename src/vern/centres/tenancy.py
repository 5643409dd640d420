"""Tenant isolation: every case-related row belongs to one centre.

Two layers:
1. By construction: ``TenantModel`` rows are read only through ``TenantQuerySet.for_user``
   (selectors call it), which filters on the user's centre, and an object of another centre is
   "not found" (404), never "forbidden" (no existence oracle).
2. Defence in depth on PostgreSQL: row-level security (``EnableRowLevelSecurity`` in each
   tenant table's migration) with FORCE, so even the table owner sees only the rows of the
   centre set with ``SET LOCAL`` in the request transaction (``RequestTransactionMiddleware``).
   Code that must cross centres (demo data, national statistics, retention) runs inside
   ``system_scope()``; web requests never do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection, models, transaction
from django.db.migrations.operations.base import Operation
from django.dispatch import Signal
from django.http import Http404, HttpRequest, HttpResponse

from vern.audit.selectors import object_type_of
from vern.audit.services import lookup_refused

if TYPE_CHECKING:
    from vern.accounts.models import User

CENTRE_SETTING = "vern.centre_id"
SCOPE_SETTING = "vern.scope"
POLICY_NAME = "vern_centre_isolation"

M = TypeVar("M", bound="TenantModel")

# Sent by TenantQuerySet.update and bulk_create, which send no post_save (Django's own
# signals): ``rows_updated(sender=model, pks=[...], using=alias)`` after an UPDATE that sets
# one of the fields registered with ``watch_updates`` (the keys are read before it),
# ``rows_created(sender=model, objs=[...], using=alias)`` after a bulk INSERT, both in the same
# transaction. The statistics summary keeps itself exact with them (ADR 0019).
rows_updated = Signal()
rows_created = Signal()
_WATCHED: dict[type[models.Model], frozenset[str]] = {}


def watch_updates(model: type[models.Model], fields: frozenset[str]) -> None:
    """Send ``rows_updated`` for queryset updates of ``model`` that set one of ``fields``."""
    _WATCHED[model] = _WATCHED.get(model, frozenset()) | fields


class TenantQuerySet(models.QuerySet[M]):
    def update(self, **kwargs: Any) -> int:
        watched = _WATCHED.get(self.model, frozenset())
        if not watched.intersection(kwargs) or not rows_updated.has_listeners(self.model):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            # The keys first: the UPDATE may change the columns the filter names.
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            if pks:
                rows_updated.send(sender=self.model, pks=pks, using=self.db)
        return count

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[M]:
        if not rows_created.has_listeners(self.model):
            return super().bulk_create(objs, *args, **kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            made = super().bulk_create(objs, *args, **kwargs)
            if any(obj.pk is None for obj in made):
                msg = (
                    f"bulk_create of {self.model.__name__} without primary keys back: the "
                    "statistics summary cannot follow it (save the rows one by one)"
                )
                raise RuntimeError(msg)
            if made:
                rows_created.send(sender=self.model, objs=made, using=self.db)
        return made

    def for_user(self, user: User) -> TenantQuerySet[M]:
        """Rows of the user's own centre; nothing for administrators or centre-less users."""
        if not getattr(user, "works_with_cases", False):
            return self.none()
        return self.filter(centre_id=user.centre_id)

    def get_for_user_or_404(self, user: User, **lookup: Any) -> M:
        """The one place where a case-data lookup becomes a 404: the refusal is audited as
        ``lookup_refused`` of the user's centre, identical whether the id is another
        centre's or does not exist (issue 15 point 7)."""
        try:
            return self.for_user(user).get(**lookup)
        except self.model.DoesNotExist:
            lookup_refused(
                user=user,
                object_type=audit_object_type(self.model),
                requested_id=lookup.get("pk", lookup.get("id")),
            )
            raise Http404 from None


def audit_object_type(model: type[models.Model]) -> str:
    """The audit log's object code of a tenant model (``vern.audit.selectors.OBJECT_LABELS``)."""
    return object_type_of(model)


class TenantModel(models.Model):
    """Abstract base of every case-related table: a non-null centre, indexed."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def set_request_scope(user: object) -> tuple[str, str] | None:
    """Inside the request transaction: only the user's centre is visible (PostgreSQL RLS).

    Returns the previous (centre, scope) values so they can be restored when the request's
    block ends inside an enclosing transaction (tests); None on SQLite."""
    if not _is_postgres():
        return None
    centre_id = ""
    if getattr(user, "works_with_cases", False):
        centre_id = str(getattr(user, "centre_id", "") or "")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting(%s, true), current_setting(%s, true),"
            " set_config(%s, %s, true), set_config(%s, '', true)",
            [CENTRE_SETTING, SCOPE_SETTING, CENTRE_SETTING, centre_id, SCOPE_SETTING],
        )
        row = cursor.fetchone()
    return (row[0] or "", row[1] or "") if row else ("", "")


def _restore_scope(previous: tuple[str, str] | None) -> None:
    if previous is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, true), set_config(%s, %s, true)",
            [CENTRE_SETTING, previous[0], SCOPE_SETTING, previous[1]],
        )


@contextmanager
def system_scope() -> Iterator[None]:
    """A transaction that may read and write every centre's rows (never used by web views).

    The scope ends with the block, also when the block is nested in a larger transaction
    (``set_config(..., true)`` would otherwise last to the end of the outer transaction). On
    an exception the savepoint's rollback undoes the setting."""
    with transaction.atomic():
        if not _is_postgres():
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting(%s, true), set_config(%s, 'all', true)",
                [SCOPE_SETTING, SCOPE_SETTING],
            )
            row = cursor.fetchone()
        previous = (row[0] if row else None) or ""
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [SCOPE_SETTING, previous])


@contextmanager
def user_scope(user: object) -> Iterator[None]:
    """A transaction that sees only ``user``'s centre, as that person's requests do (for a job
    that acts for one person after another, ``vern remind``). Restored when the block ends."""
    with transaction.atomic():
        previous = set_request_scope(user)
        yield
        _restore_scope(previous)


class RequestTransactionMiddleware:
    """One database transaction per request, with the tenant scope set inside it.

    Replaces ATOMIC_REQUESTS so that SET LOCAL and the audit events of the middleware run in
    the same transaction as the view. A 5xx response rolls everything back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with transaction.atomic():
            previous = set_request_scope(request.user)
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
            else:
                _restore_scope(previous)
        return response


class EnableRowLevelSecurity(Operation):
    """Migration operation: RLS with FORCE and the centre policy on one tenant table.

    A no-op on SQLite (the selector layer is the isolation there)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _table(self, app_label: str, state: Any) -> str:
        model = state.apps.get_model(app_label, self.model_name)
        return str(model._meta.db_table)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(self._table(app_label, to_state))
        condition = (
            f"(centre_id = NULLIF(current_setting('{CENTRE_SETTING}', true), '')::bigint"
            f" OR current_setting('{SCOPE_SETTING}', true) = 'all')"
        )
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        schema_editor.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        schema_editor.execute(
            f"CREATE POLICY {POLICY_NAME} ON {table} USING {condition} WITH CHECK {condition}"
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(self._table(app_label, from_state))
        schema_editor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
        schema_editor.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")

    def describe(self) -> str:
        return f"Enable row-level security on {self.model_name}"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [], {"model_name": self.model_name})
