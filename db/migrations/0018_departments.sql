-- 多部门联动: functional departments a centre hands a case to, with a deadline; the department
-- accepts, returns it with a reason, or reports the result, and the centre verifies. A department's
-- accounts see only the cases handed to them (their region is 'dept-<code>', which covers no grid).
CREATE TABLE department (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL
);
INSERT INTO department (code, name, name_en) VALUES
('zhujian',     '住房和城乡建设局',     'Housing and Urban-Rural Development'),
('renshe',      '人力资源和社会保障局', 'Human Resources and Social Security'),
('ziran',       '自然资源和规划局',     'Natural Resources and Planning'),
('shichang',    '市场监督管理局',       'Market Regulation'),
('gongan',      '公安局',               'Public Security'),
('xinfang',     '信访局',               'Letters and Visits'),
('minzheng',    '民政局',               'Civil Affairs'),
('chengguan',   '城市管理局',           'Urban Management'),
('huanjing',    '生态环境局',           'Ecology and Environment'),
('yingji',      '应急管理局',           'Emergency Management'),
('weijian',     '卫生健康委员会',       'Health Commission'),
('sifa',        '司法局',               'Justice');

ALTER TABLE app_user DROP CONSTRAINT app_user_roles_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_roles_check CHECK (roles <@ '{admin,dispatcher,supervisor,field,wall,auditor,department}');

CREATE TABLE department_task (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id     bigint NOT NULL REFERENCES incident (id),
    department_code text NOT NULL REFERENCES department (code),
    from_centre     text NOT NULL,
    instructions    text NOT NULL,
    deadline        timestamptz NOT NULL,
    status          text NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'accepted', 'returned', 'reported', 'verified', 'rejected')),
    reason          text,          -- why it was returned, or why the centre did not accept the result
    result          text,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    accepted_by     text,
    accepted_at     timestamptz,
    reported_by     text,
    reported_at     timestamptz,
    verified_by     text,
    verified_at     timestamptz,
    version         int NOT NULL DEFAULT 1
);
CREATE INDEX department_task_department ON department_task (department_code, status);
CREATE INDEX department_task_incident ON department_task (incident_id);
CREATE UNIQUE INDEX department_task_one_live ON department_task (incident_id, department_code)
    WHERE status IN ('assigned', 'accepted', 'reported');
