"""Everything intake decides with, read in one round trip: the active models, the active priority
and routing rules (in order, with their tags), the active categories and the teams.

Intake runs on every new ticket, so this is one raw query with JSON aggregates instead of five ORM
queries; nothing is cached between tickets, so an admin's change applies to the next ticket."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from tickets.models import Category, RoutingRule, Tag, Team
from triage.models import ClassifierModel, PriorityRule


@dataclass(frozen=True)
class ModelRef:
    """What registry.load needs of a ClassifierModel row."""

    id: int
    kind: str
    version: int
    file_path: str


@dataclass(frozen=True)
class PriorityRuleSpec:
    id: int
    name: str
    keywords: tuple[str, ...]
    vip_only: bool
    priority: str


@dataclass(frozen=True)
class RoutingRuleSpec:
    id: int
    name: str
    category_id: int | None
    priority: str
    vip: bool | None
    language: str
    keywords: tuple[str, ...]
    team_id: int | None
    tier: int | None
    tags: tuple[str, ...]


@dataclass(frozen=True)
class IntakeConfig:
    models: dict[str, ModelRef]
    priority_rules: list[PriorityRuleSpec]
    routing_rules: list[RoutingRuleSpec]
    categories: dict[str, Category]  # by slug, active only
    teams: dict[int, Team]


def _sql() -> str:
    model, prule, rrule = ClassifierModel._meta.db_table, PriorityRule._meta.db_table, RoutingRule._meta.db_table
    rule_tags, tag = RoutingRule.add_tags.through._meta.db_table, Tag._meta.db_table
    category, team = Category._meta.db_table, Team._meta.db_table
    return f"""
    SELECT
      (SELECT coalesce(json_agg(json_build_object(
          'id', id, 'kind', kind, 'version', version, 'file_path', file_path)), '[]')
         FROM {model} WHERE is_active),
      (SELECT coalesce(json_agg(json_build_object(
          'id', id, 'name', name, 'keywords', keywords, 'vip_only', vip_only, 'priority', priority)
          ORDER BY position, id), '[]')
         FROM {prule} WHERE is_active),
      (SELECT coalesce(json_agg(json_build_object(
          'id', r.id, 'name', r.name, 'category_id', r.category_id, 'priority', r.priority, 'vip', r.vip,
          'language', r.language, 'keywords', r.keywords, 'team_id', r.team_id, 'tier', r.tier,
          'tags', (SELECT coalesce(array_agg(t.name ORDER BY t.name), '{{}}')
                     FROM {rule_tags} rt JOIN {tag} t ON t.id = rt.tag_id WHERE rt.routingrule_id = r.id))
          ORDER BY r.position, r.id), '[]')
         FROM {rrule} r WHERE r.is_active),
      (SELECT coalesce(json_agg({_row_object(Category)}), '[]') FROM {category} WHERE is_active),
      (SELECT coalesce(json_agg({_row_object(Team)}), '[]') FROM {team})
    """


def _row_object(model: type[Any]) -> str:
    """json_build_object of every concrete column, so the instances are complete (e.g. the team's
    calendar_id, which the SLA clock reads)."""
    pairs = ", ".join(f"'{f.attname}', {f.column}" for f in model._meta.concrete_fields)
    return f"json_build_object({pairs})"


def _instance(model: type[Any], values: dict[str, Any]) -> Any:
    """A model instance as if loaded by the ORM (JSON gives strings for dates and the like)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    converted = {
        name: value if value is None or isinstance(value, bool | int | float | list) else fields[name].to_python(value)
        for name, value in values.items()
    }
    obj = model(**converted)
    obj._state.adding, obj._state.db = False, connection.alias
    return obj


def intake_config() -> IntakeConfig:
    with connection.cursor() as cursor:
        cursor.execute(_sql())
        models, prules, rrules, categories, teams = cursor.fetchone()
    team_objs = {t["id"]: _instance(Team, t) for t in teams}
    category_objs = {}
    for values in categories:
        category = _instance(Category, values)
        if category.default_team_id is not None:
            category.default_team = team_objs.get(category.default_team_id)
        category_objs[category.slug] = category
    return IntakeConfig(
        models={m["kind"]: ModelRef(**m) for m in models},
        priority_rules=[
            PriorityRuleSpec(r["id"], r["name"], tuple(r["keywords"] or ()), r["vip_only"], r["priority"])
            for r in prules
        ],
        routing_rules=[
            RoutingRuleSpec(
                id=r["id"],
                name=r["name"],
                category_id=r["category_id"],
                priority=r["priority"] or "",
                vip=r["vip"],
                language=r["language"] or "",
                keywords=tuple(r["keywords"] or ()),
                team_id=r["team_id"],
                tier=r["tier"],
                tags=tuple(r["tags"] or ()),
            )
            for r in rrules
        ],
        categories=category_objs,
        teams=team_objs,
    )
