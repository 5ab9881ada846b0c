import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Database } from '../database/database';
import { isPostgresError, PG_UNIQUE_VIOLATION } from '../common/postgres-errors';
import type { Facility, FacilityType } from '../entities/facility.entity';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import { ReadRouter } from '../read-routing/read-router';

export interface CreateFacilityInput {
  code: string;
  name: string;
  type: FacilityType;
  latitude: number;
  longitude: number;
  canShip?: boolean;
  canPickup?: boolean;
}

export type UpdateFacilityInput = Partial<Omit<CreateFacilityInput, 'code'>>;

const FACILITY_COLUMNS = `id, code, name, type, latitude::float8 AS latitude, longitude::float8 AS longitude,
  can_ship AS "canShip", can_pickup AS "canPickup", created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class FacilitiesService {
  constructor(
    private readonly db: Database,
    private readonly reads: ReadRouter,
  ) {}

  async create(input: CreateFacilityInput): Promise<Facility> {
    try {
      const [facility] = await this.db.query<Facility>(
        `INSERT INTO facility (code, name, type, latitude, longitude, can_ship, can_pickup)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${FACILITY_COLUMNS}`,
        [input.code, input.name, input.type, input.latitude, input.longitude, input.canShip ?? true, input.canPickup ?? input.type === 'STORE'],
      );
      return facility;
    } catch (error) {
      if (isPostgresError(error, PG_UNIQUE_VIOLATION)) throw new ConflictException(`a facility with code ${input.code} already exists`);
      throw error;
    }
  }

  async get(id: string): Promise<Facility> {
    const [facility] = await this.db.query<Facility>(`SELECT ${FACILITY_COLUMNS} FROM facility WHERE id = $1`, [id]);
    if (!facility) throw new NotFoundException(`facility ${id} not found`);
    return facility;
  }

  async list(page: PageRequest, clientId?: string): Promise<Page<Facility>> {
    const db = await this.reads.forListRead(clientId);
    return keysetPage<Facility>(db, { select: FACILITY_COLUMNS, from: 'facility', filters: [], params: [], direction: 'asc' }, page);
  }

  async update(id: string, input: UpdateFacilityInput): Promise<Facility> {
    const [facility] = await this.db.query<Facility>(
      `UPDATE facility SET name = COALESCE($2, name), type = COALESCE($3, type), latitude = COALESCE($4, latitude),
              longitude = COALESCE($5, longitude), can_ship = COALESCE($6, can_ship), can_pickup = COALESCE($7, can_pickup),
              updated_at = clock_timestamp()
        WHERE id = $1 RETURNING ${FACILITY_COLUMNS}`,
      [id, input.name ?? null, input.type ?? null, input.latitude ?? null, input.longitude ?? null, input.canShip ?? null, input.canPickup ?? null],
    );
    if (!facility) throw new NotFoundException(`facility ${id} not found`);
    return facility;
  }
}
