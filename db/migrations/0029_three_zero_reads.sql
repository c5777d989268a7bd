-- The 三零 board of a year reads a year of petitions, accidents and criminal cases (≈ 50,000 of a
-- year's 500,000 reports); scanning every report and testing its category took most of a second.
-- Those three kinds are indexed apart, with what the board's rule reads (ThreeZeros/ThreeZeroSql.cs).
CREATE INDEX incident_three_zero ON incident (created_at)
    INCLUDE (village_code, grid_code, category_code, priority, status, level, duplicate_of)
    WHERE split_part(category_code, '.', 1) IN ('petition', 'accident', 'criminal');
