import { Controller, Get, Redirect } from '@nestjs/common';

/** `GET /` in a browser lands on the GraphQL playground, the one page a person opens. */
@Controller()
export class RootController {
  @Get()
  @Redirect('/playground', 302)
  root(): void {
    // the redirect is the answer
  }
}
