import { Module } from '@nestjs/common';
import { ComputeModule } from '@gke-emulator/compute';
import { ControlController } from './control.controller';
import { ResetService } from './reset.service';

@Module({
  imports: [ComputeModule],
  controllers: [ControlController],
  providers: [ResetService],
  exports: [ResetService],
})
export class ControlModule {}
