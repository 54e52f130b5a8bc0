"""ipsa.web: the lawyers' workspace — matters, deal versions, assessments, memos and an audit log in a database,
served as pages and a JSON API over the one pipeline (`ipsa.engine.pipeline`); nothing here assesses a deal itself."""
