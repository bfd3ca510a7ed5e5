import { Module } from '@nestjs/common';
import { ComputeModule } from '@gke-emulator/compute';
import { ControlController } from './control.controller';
import { ResetRepository } from './reset.repository';
import { ResetService } from './reset.service';

@Module({
  imports: [ComputeModule],
  controllers: [ControlController],
  providers: [ResetService, ResetRepository],
  exports: [ResetService],
})
export class ControlModule {}
