import { Module } from '@nestjs/common';
import { OperationsModule } from '@gke-emulator/operations';
import { ControlController } from './control.controller';
import { ResetRepository } from './reset.repository';
import { ResetService } from './reset.service';

@Module({
  imports: [OperationsModule],
  controllers: [ControlController],
  providers: [ResetService, ResetRepository],
  exports: [ResetService],
})
export class ControlModule {}
