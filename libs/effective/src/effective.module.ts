import { Module } from '@nestjs/common';
import { ContainerModule } from '@gke-emulator/container';
import { DataplaneController } from './dataplane.controller';
import { DataplaneReadsService } from './dataplane-reads.service';

/** The effective data plane's reads (the worker computes it; see compute-cluster.task.ts). */
@Module({
  imports: [ContainerModule],
  controllers: [DataplaneController],
  providers: [DataplaneReadsService],
  exports: [DataplaneReadsService],
})
export class EffectiveModule {}
