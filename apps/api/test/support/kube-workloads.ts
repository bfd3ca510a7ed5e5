import request from 'supertest';

/**
 * A Deployment `name` of `replicas` nginx pods labelled `app: <name>`, listening on `containerPort`, created through
 * the cluster's Kubernetes API (`kube`: `/k8s/<project>/<location>/<cluster>`).
 */
export async function createWebDeployment(
  url: string,
  kube: string,
  {
    name = 'web',
    replicas = 2,
    containerPort = 8080,
  }: { name?: string; replicas?: number; containerPort?: number } = {},
): Promise<void> {
  await request(url)
    .post(`${kube}/apis/apps/v1/namespaces/default/deployments`)
    .send({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name, image: 'nginx', ports: [{ containerPort }] }] },
        },
      },
    })
    .expect(201);
}
