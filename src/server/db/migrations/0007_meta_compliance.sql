CREATE TABLE "data_deletions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"confirmation_code" text NOT NULL,
	"source" text NOT NULL,
	"subject_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"accounts_deleted" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "data_deletions_confirmation_code_unique" UNIQUE("confirmation_code")
);
--> statement-breakpoint
ALTER TABLE "connected_accounts" ADD COLUMN "grant_subject_id" text;--> statement-breakpoint
ALTER TABLE "oauth_flows" ADD COLUMN "grant_subject_id" text;--> statement-breakpoint
CREATE INDEX "data_deletions_status_idx" ON "data_deletions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "connected_accounts_grant_subject_idx" ON "connected_accounts" USING btree ("provider","grant_subject_id");