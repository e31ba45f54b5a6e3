-- QFed broker schema, version 3: the submitter's random seed, handed to the agent in the lease. NULL when the
-- submitter gave none (the agent then chooses one and reports it with the result). Runs on PostgreSQL and H2.
ALTER TABLE jobs ADD COLUMN seed BIGINT;
