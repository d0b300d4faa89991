ALTER TABLE "oauth_flows" ADD COLUMN "refresh_token" text;--> statement-breakpoint
ALTER TABLE "oauth_flows" ADD COLUMN "refresh_token_expires_at" timestamp with time zone;