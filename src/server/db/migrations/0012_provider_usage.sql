CREATE TABLE "provider_usage" (
	"scope" text NOT NULL,
	"platform" text NOT NULL,
	"app_id" text NOT NULL,
	"object_id" text DEFAULT '' NOT NULL,
	"percent" integer NOT NULL,
	"threshold_percent" integer NOT NULL,
	"throttled_until" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "provider_usage_scope_app_id_object_id_pk" PRIMARY KEY("scope","app_id","object_id")
);
