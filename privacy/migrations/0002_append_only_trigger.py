"""The processing log is append-only: the database refuses UPDATE and DELETE on it.

TRUNCATE is refused too, except in a Django test database (its name starts with ``test``): the
test runner empties every table with one TRUNCATE between transactional tests. The database name
cannot be changed by a session, so this exception cannot be switched on from the application.
Production should in addition grant the application role only INSERT and SELECT on this table
(docs/privacy.md).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION privacy_processingrecord_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_database() LIKE 'test%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'privacy_processingrecord is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_processingrecord_no_update_delete
    BEFORE UPDATE OR DELETE ON privacy_processingrecord
    FOR EACH ROW EXECUTE FUNCTION privacy_processingrecord_refuse_change();

CREATE TRIGGER privacy_processingrecord_no_truncate
    BEFORE TRUNCATE ON privacy_processingrecord
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_processingrecord_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS privacy_processingrecord_no_truncate ON privacy_processingrecord;
DROP TRIGGER IF EXISTS privacy_processingrecord_no_update_delete ON privacy_processingrecord;
DROP FUNCTION IF EXISTS privacy_processingrecord_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
