-- 一评 (社会稳定风险评估): the register of major decisions and projects that must pass a social-stability
-- risk assessment before they are carried out — 未经评估或评估不合格的一律不得实施. One carried out
-- without a passed assessment raises a red alert (RiskAssessments/UnassessedAlert.cs).
-- kind_code is one of the 11 kinds of RiskAssessments/RiskKinds.cs; checked by the server, not here,
-- so that the list can be changed without a migration. region_code is not a foreign key, as on
-- incident and three_zero_unit: the region tree is seeded after the migrations.
CREATE TABLE risk_assessment (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind_code        text NOT NULL CHECK (kind_code ~ '^[a-z_]{1,40}$'),
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description      text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    -- A district, township or village: where the decision applies or the project is built.
    region_code      text NOT NULL CHECK (region_code ~ '^[0-9]{6}([0-9]{3}){0,2}$'),
    position         geometry(Point, 4326),
    responsible_unit text NOT NULL CHECK (length(responsible_unit) BETWEEN 1 AND 200),
    -- high / medium / low; null until assessed (a preliminary level may be set while pending).
    risk_level       text CHECK (risk_level IN ('high', 'medium', 'low')),
    result           text NOT NULL DEFAULT 'pending' CHECK (result IN ('pending', 'passed', 'conditional', 'failed')),
    status           text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'assessing', 'in_progress', 'completed', 'suspended')),
    -- Who recorded the result and when; set by the server whenever the result changes.
    assessed_at      timestamptz,
    assessed_by      text,
    version          int NOT NULL DEFAULT 1,
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- An assessment that has a result has its level and who recorded it; a pending one has neither record.
    CHECK (result = 'pending' OR (risk_level IS NOT NULL AND assessed_at IS NOT NULL AND assessed_by IS NOT NULL)),
    CHECK (result <> 'pending' OR (assessed_at IS NULL AND assessed_by IS NULL))
);
CREATE INDEX risk_assessment_region ON risk_assessment (region_code, updated_at DESC);

-- The alert of a project carried out without a passed assessment names its project: one open alert
-- per project, so two flagged projects in one village are two alerts. The scheduled detectors keep
-- their one open alert per (detector, region); a project's alert is outside that rule.
ALTER TABLE alert ADD COLUMN risk_assessment_id bigint REFERENCES risk_assessment (id);
DROP INDEX alert_open_signal;
CREATE UNIQUE INDEX alert_open_signal ON alert (detector, region_code) WHERE status <> 'closed' AND risk_assessment_id IS NULL;
CREATE UNIQUE INDEX alert_open_risk_assessment ON alert (risk_assessment_id) WHERE status <> 'closed';
