-- What the scheduled early-warning run keeps between runs.

-- Monte Carlo nulls (the maxima of R signal-free replicates) of the scan and the region charts. A
-- null depends only on the day's baselines, so the nightly refresh draws it once and every scoring
-- run of the day — on any server, after any restart — finds it here by its fingerprint.
CREATE TABLE monte_carlo_null (
    detector      text NOT NULL,
    fingerprint   bigint NOT NULL,            -- XxHash3 of the zones/regions, baselines and options (the ulong's bits)
    for_day       date NOT NULL,              -- the Beijing day whose runs it serves; older ones are purged nightly
    sorted_maxima double precision[] NOT NULL,
    seconds       double precision NOT NULL,  -- how long the draw took
    drawn_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (detector, fingerprint)
);

-- Each village's 三零 standing as last assessed (calendar year to date): a change against it is an
-- alert, once, and then becomes the standing.
CREATE TABLE three_zero_standing (
    village_code  text PRIMARY KEY,
    period_from   date NOT NULL,
    petitions     int NOT NULL,
    accidents     int NOT NULL,
    cases         int NOT NULL,
    assessed_at   timestamptz NOT NULL DEFAULT now()
);
