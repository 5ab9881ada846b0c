import { Injectable } from '@nestjs/common';
import type { ImportTopic } from '../entities/channel-import-error.entity';
import type { Queryable } from '../read-routing/queryable';

export interface ImportErrorView {
  externalId: string | null;
  topic: ImportTopic;
  error: string;
  at: Date;
}

export interface NewImportError {
  salesChannel: string;
  topic: ImportTopic;
  externalId: string | null;
  error: string;
}

/** The longest message kept (the table's CHECK): an order of many unknown SKUs names the first ones. */
const MAX_ERROR_LENGTH = 1000;

/** SQL of channel_import_error. */
@Injectable()
export class ChannelImportErrorsRepository {
  /** Records the error; the same error of the same order and topic again (a redelivery) only moves its time. */
  async record(db: Queryable, error: NewImportError): Promise<void> {
    const message = error.error.length > MAX_ERROR_LENGTH ? `${error.error.slice(0, MAX_ERROR_LENGTH - 3)}...` : error.error;
    await db.query(
      `INSERT INTO channel_import_error (sales_channel, topic, external_id, error) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sales_channel, topic, external_id, md5(error)) WHERE external_id IS NOT NULL DO UPDATE SET at = EXCLUDED.at`,
      [error.salesChannel, error.topic, error.externalId, message],
    );
  }

  /** The channel's latest errors, newest first. */
  newest(db: Queryable, salesChannel: string, limit: number): Promise<ImportErrorView[]> {
    return db.query<ImportErrorView>(
      `SELECT external_id AS "externalId", topic, error, at FROM channel_import_error WHERE sales_channel = $1 ORDER BY at DESC, id DESC LIMIT $2`,
      [salesChannel, limit],
    );
  }
}
