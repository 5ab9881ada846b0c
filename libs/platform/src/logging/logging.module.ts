import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/config.schema';

@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig, service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            base: { service, pid: process.pid },
            genReqId: (req) => req.id,
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
        }),
      ],
    };
  }
}
