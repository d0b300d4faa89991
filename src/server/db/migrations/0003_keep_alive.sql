ALTER TABLE "connected_accounts" ADD COLUMN "next_check_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "connected_accounts" ADD COLUMN "failing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "connected_accounts" ADD COLUMN "check_lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "connected_accounts_next_check_idx" ON "connected_accounts" USING btree ("next_check_at");