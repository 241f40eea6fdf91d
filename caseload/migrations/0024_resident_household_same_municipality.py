"""A resident belongs to the municipality of their household, in the database too (issue 17).

The services register a resident in their household's municipality, and the indicator
definitions that read a municipality's rows by their copied municipality
(``indicators.definitions._own``) are exact only while that holds: a resident's rows carry the
resident's municipality, a benefit's its household's. Two constraint triggers refuse a
transaction that would break it: a resident whose household is of another municipality, and a
household of another municipality than its residents. They are checked at commit (``DEFERRABLE
INITIALLY DEFERRED``), so that a household and its residents can move together in one
transaction (the copies of row-level security follow such a move, ``common.rls``). They run as
their owner (``SECURITY DEFINER``): under the application role the policies would hide the other
municipality's household, and the check would find nothing to refuse. The messages name ids
only, never a BSN.
"""

from django.db import migrations

#: a check run as the owner after a row of ``table`` changed (``key``: that row's id column)
CHECK = """
CREATE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM caseload_resident r
          JOIN caseload_household h ON h.id = r.household_id
         WHERE {key} = NEW.id AND h.municipality_id <> r.municipality_id
    ) THEN
        RAISE EXCEPTION {message} USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION {name}() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER {trigger}
    AFTER {events} ON {table}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""

FORWARD = CHECK.format(
    name="caseload_resident_household_municipality",
    key="r.id",
    message="'resident % and household % belong to different municipalities', "
    "NEW.id, NEW.household_id",
    trigger="resident_household_municipality",
    events="INSERT OR UPDATE OF household_id, municipality_id",
    table="caseload_resident",
) + CHECK.format(
    name="caseload_household_residents_municipality",
    key="h.id",
    message="'household % has residents of another municipality', NEW.id",
    trigger="household_residents_municipality",
    events="UPDATE OF municipality_id",
    table="caseload_household",
)

BACKWARD = """
DROP TRIGGER household_residents_municipality ON caseload_household;
DROP FUNCTION caseload_household_residents_municipality();
DROP TRIGGER resident_household_municipality ON caseload_resident;
DROP FUNCTION caseload_resident_household_municipality();
"""


class Migration(migrations.Migration):
    dependencies = [("caseload", "0023_trajectory_hours_index")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
