-- Every committed change to what a web process caches (services/read-cache.ts) is announced on the
-- channel `tether_changes` as `<kind>:<user id>`; `*` means "forget everything" (TRUNCATE).
-- Arguments: the kind, the column that holds the user id, and a column whose changes alone do not
-- matter to the cache ('' for none).
CREATE FUNCTION "tether_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := TG_ARGV[0];
  user_column text := TG_ARGV[1];
  ignored text := TG_ARGV[2];
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('tether_changes', '*');
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND ignored <> '' AND to_jsonb(NEW) - ignored = to_jsonb(OLD) - ignored THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('tether_changes', kind || ':' || (to_jsonb(OLD) ->> user_column));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('tether_changes', kind || ':' || (to_jsonb(NEW) ->> user_column));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "user_changes" AFTER UPDATE OR DELETE ON "user"
  FOR EACH ROW EXECUTE FUNCTION "tether_notify_change"('principal', 'id', '');
--> statement-breakpoint
CREATE TRIGGER "user_truncate" AFTER TRUNCATE ON "user"
  FOR EACH STATEMENT EXECUTE FUNCTION "tether_notify_change"('principal', 'id', '');
--> statement-breakpoint
CREATE TRIGGER "api_tokens_changes" AFTER UPDATE OR DELETE ON "api_tokens"
  FOR EACH ROW EXECUTE FUNCTION "tether_notify_change"('principal', 'user_id', 'last_used_at');
--> statement-breakpoint
CREATE TRIGGER "api_tokens_truncate" AFTER TRUNCATE ON "api_tokens"
  FOR EACH STATEMENT EXECUTE FUNCTION "tether_notify_change"('principal', 'user_id', '');
--> statement-breakpoint
CREATE TRIGGER "connected_accounts_changes" AFTER INSERT OR UPDATE OR DELETE ON "connected_accounts"
  FOR EACH ROW EXECUTE FUNCTION "tether_notify_change"('accounts', 'user_id', '');
--> statement-breakpoint
CREATE TRIGGER "connected_accounts_truncate" AFTER TRUNCATE ON "connected_accounts"
  FOR EACH STATEMENT EXECUTE FUNCTION "tether_notify_change"('accounts', 'user_id', '');
