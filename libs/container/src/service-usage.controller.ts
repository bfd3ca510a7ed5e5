import { Controller, Get, Param } from '@nestjs/common';

/** The services this emulator serves: every one of them reads as enabled in every project. */
const SERVICES: Record<string, string> = {
  'compute.googleapis.com': 'Compute Engine API',
  'container.googleapis.com': 'Kubernetes Engine API',
};

/**
 * Service Usage `services.get`, which `gcloud container clusters create` calls first to check that the Kubernetes
 * Engine API is enabled (aim it with CLOUDSDK_API_ENDPOINT_OVERRIDES_SERVICEUSAGE).
 */
@Controller('v1/projects/:project/services')
export class ServiceUsageController {
  @Get(':service')
  get(@Param('project') project: string, @Param('service') service: string) {
    const known = Object.hasOwn(SERVICES, service);
    return {
      name: `projects/${project}/services/${service}`,
      config: { name: service, title: known ? SERVICES[service] : service },
      state: known ? 'ENABLED' : 'DISABLED',
      parent: `projects/${project}`,
    };
  }
}
