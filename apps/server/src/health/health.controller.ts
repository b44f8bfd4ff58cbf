import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../../../libs/domain/src/index.js';
import { Database } from '../../../../libs/persistence/src/index.js';
import { Public } from '../common/auth.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: Database) {}

  /** 200 when the database answers, 503 otherwise; needs no token so load balancers can call it. */
  @Public()
  @Get()
  async check() {
    try {
      await this.db.read((manager) => manager.query('SELECT 1'));
    } catch {
      throw new DomainError('SERVICE.UNAVAILABLE', 'The database does not answer.');
    }
    return { status: 'ok', database: this.db.isSqlite ? 'sqlite' : 'postgres' };
  }
}
