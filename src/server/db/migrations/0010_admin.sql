CREATE TABLE "first_admin" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"user_id" text,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "first_admin_single_row" CHECK ("first_admin"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "connect_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"provider" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"outcome" text,
	"error_code" text
);
--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "is_admin" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "first_admin" ADD CONSTRAINT "first_admin_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connect_attempts" ADD CONSTRAINT "connect_attempts_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connect_attempts_started_idx" ON "connect_attempts" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "account_events_created_idx" ON "account_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "post_targets_status_updated_idx" ON "post_targets" USING btree ("status","updated_at");--> statement-breakpoint
-- An install that already has users: its earliest user takes the first-admin rule.
INSERT INTO "first_admin" ("user_id") SELECT "id" FROM "user" ORDER BY "created_at", "id" LIMIT 1;--> statement-breakpoint
UPDATE "user" SET "is_admin" = true WHERE "id" = (SELECT "user_id" FROM "first_admin");
