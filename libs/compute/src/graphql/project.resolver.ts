import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { ProjectRepository } from '../shared/project.repository';

@ObjectType('Project', {
  description:
    'A project the emulator holds: created by its first write (any API), with a project number like Google’s.',
})
export class ProjectModel {
  @Field({ description: 'The Google Cloud project ID.' })
  projectId!: string;

  @Field({ description: 'The project number (12 digits, as Google prints it).' })
  projectNumber!: string;

  @Field({ description: 'When the project was created (its first write), RFC 3339.' })
  createTime!: string;
}

@Resolver(() => ProjectModel)
export class ProjectResolver {
  constructor(private readonly repository: ProjectRepository) {}

  @Query(() => [ProjectModel], {
    description: 'Every project the emulator holds, by project ID (what the topology page offers to pick).',
  })
  async projects(): Promise<ProjectModel[]> {
    return this.repository.list();
  }
}
