import { Controller } from '@nestjs/common';
import { GlobalCollectionController } from '../shared/global-collection.controller';
import { RouteService } from './route.service';

@Controller('compute/v1/projects/:project/global/routes')
export class RoutesController extends GlobalCollectionController {
  protected readonly listKind = 'compute#routeList';
  protected readonly collection = 'global/routes';

  constructor(protected readonly service: RouteService) {
    super();
  }
}
