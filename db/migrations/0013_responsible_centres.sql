-- 四级综治中心: every incident has a responsible centre — a village (community), township,
-- district or the city's 综治中心, named by its region code — and only that centre acts on it.
-- Intake gives it to the village centre of its place unless its category starts higher.

ALTER TABLE incident DROP CONSTRAINT incident_level_check;
ALTER TABLE incident ALTER COLUMN level SET DEFAULT 'village';
ALTER TABLE incident ADD CONSTRAINT incident_level_check CHECK (level IN ('village', 'township', 'district', 'city'));

ALTER TABLE incident ADD COLUMN centre_code text;
UPDATE incident SET centre_code = CASE level WHEN 'township' THEN township_code WHEN 'district' THEN district_code ELSE '410600' END;
ALTER TABLE incident ALTER COLUMN centre_code SET NOT NULL;
ALTER TABLE incident ADD CONSTRAINT incident_centre_level CHECK (
    length(centre_code) = CASE level WHEN 'village' THEN 12 WHEN 'township' THEN 9 ELSE 6 END);
CREATE INDEX incident_centre ON incident (centre_code, status);

-- Where a category's cases start: 小事不出村 — most at the village; an accident at the township;
-- a criminal case at the district's centre, where the police and the procuratorate sit.
ALTER TABLE category ADD COLUMN start_level text NOT NULL DEFAULT 'village'
    CHECK (start_level IN ('village', 'township', 'district', 'city'));
UPDATE category SET start_level = 'township' WHERE code = 'accident';
UPDATE category SET start_level = 'district' WHERE code = 'criminal';

CREATE OR REPLACE FUNCTION live_incident(i incident, category_name text, action text, actor text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', i.id, 'status', i.status, 'categoryCode', i.category_code, 'categoryName', category_name,
        'priority', i.priority, 'description', left(i.description, 120),
        'lon', ST_X(i.location), 'lat', ST_Y(i.location),
        'gridCode', i.grid_code, 'villageCode', i.village_code, 'townshipCode', i.township_code, 'districtCode', i.district_code,
        'level', i.level, 'centreCode', i.centre_code, 'version', i.version,
        'createdAt', beijing(i.created_at), 'updatedAt', beijing(i.updated_at),
        'dueAt', beijing(i.due_at), 'warnAt', beijing(i.warn_at),
        'duplicateOf', (SELECT d.id FROM incident d WHERE d.id = i.duplicate_of AND d.grid_code = i.grid_code),
        'action', action, 'actor', actor)
$$;
