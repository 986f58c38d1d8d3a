-- The node that runs a suppression import job: at start a node runs again only its own unfinished
-- jobs and those of nodes that are down (taken over with a conditional update), never a job that a
-- live node is running. '' for jobs made before: no node, so the first node to start takes them.
ALTER TABLE suppression_import_jobs ADD COLUMN run_by VARCHAR(255) DEFAULT '' NOT NULL;
