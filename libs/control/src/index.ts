export { ControlModule } from './control.module';
export { ResetService } from './reset.service';
