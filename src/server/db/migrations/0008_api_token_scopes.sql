-- Tokens made before scopes existed keep the full access they had: every scope of that time.
ALTER TABLE "api_tokens" ADD COLUMN "scopes" text[] NOT NULL DEFAULT ARRAY['accounts:read','accounts:write','posts:read','posts:write','media:read','media:write','webhooks:read','webhooks:write']::text[];--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "scopes" DROP DEFAULT;
