import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { DELIVERED_EVENT_TYPES, DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from '../../../contracts/webhooks.ts';
import { user } from './auth.ts';

/** A URL a user asked Tether to call on events, with the secret that signs each call (encrypted). */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** Events sent to this endpoint. */
    events: text('events', { enum: WEBHOOK_EVENT_TYPES }).array().notNull(),
    /** The signing secret, encrypted by the keyring and bound to this row. */
    secretCiphertext: text('secret_ciphertext').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('webhook_endpoints_user_idx').on(table.userId)],
);

/** One event sent (or being sent) to one endpoint: kept so deliveries can be retried and shown. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventType: text('event_type', { enum: DELIVERED_EVENT_TYPES }).notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('webhook_deliveries_endpoint_created_idx').on(table.endpointId, table.createdAt)],
);
