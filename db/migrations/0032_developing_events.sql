-- One alert per developing event (issue 15). The excess detectors' findings that overlap in space
-- merge into one alert (Alerts/DevelopingEvents.cs); `evidence` lists every finding, strongest
-- first: detector, level, region, number of grids, explanation, figures, days. Such an alert is
-- found again by the grids it shares with the run's event, not by detector and region — two hot
-- spots in one village may both be scan-led — so it is outside the one-open-per-signal index
-- (as an 一评 project's alert is, migration 0025).
ALTER TABLE alert ADD COLUMN evidence jsonb;

-- The excess detectors' alerts so far, each its own event of one finding.
UPDATE alert SET evidence = jsonb_build_array(jsonb_build_object(
        'detector', detector, 'level', level, 'regionCode', region_code, 'grids', cardinality(grid_codes), 'summary', summary,
        'observed', observed, 'expected', expected, 'score', score, 'pValue', p_value, 'from', window_from, 'to', window_to))
WHERE detector IN ('ears-c2', 'nb-cusum', 'ewma', 'expectation-based-poisson-scan');

DROP INDEX alert_open_signal;
CREATE UNIQUE INDEX alert_open_signal ON alert (detector, region_code) WHERE status <> 'closed' AND risk_assessment_id IS NULL AND evidence IS NULL;
CREATE INDEX alert_open_events ON alert (id) WHERE status <> 'closed' AND evidence IS NOT NULL;
