import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('ProjectChange', {
  description:
    "A Compute or GKE write of the project committed (a resource inserted, patched or deleted: each mutation's operation), or one of its clusters changed state, within the last second. Read what you show again.",
})
export class ProjectChangeModel {
  @Field({ description: 'The Google Cloud project ID.' })
  project!: string;
}
