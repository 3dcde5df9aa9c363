-- Keys that carry team_id and arrived after the team split (org reports' feedback rounds and
-- responses, the team import's staging) become deferrable too, initially immediate as before, so a
-- split's undo can move such rows between teams in one transaction. See
-- private.split_defer_team_keys() in 20261203000501_create_team_splits.sql.
select private.split_defer_team_keys();
