-- The server list pages by keyset in the order (created_at DESC, id DESC), of one project or of
-- all: these indexes give each page as a short index range scan, however deep the marker.
-- The new project index covers what compute_server_project did.

DROP INDEX compute_server_project;
CREATE INDEX compute_server_project_created ON compute_server (project_id, created_at DESC, id DESC);
CREATE INDEX compute_server_created ON compute_server (created_at DESC, id DESC);
-- Clients wait for servers by listing them by status (BUILD, ACTIVE): one project's servers in
-- one status, in list order, without reading the others.
CREATE INDEX compute_server_project_status ON compute_server (project_id, status, created_at DESC, id DESC);
