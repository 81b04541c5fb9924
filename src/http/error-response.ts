import { ApiProperty } from '@nestjs/swagger';

const REQUEST_ID_PROPERTY = {
  description: 'The X-Request-Id of the request, as in the logs: quote it when reporting an error.',
  example: '9f2c4d1e-7a3b-4c5d-8e9f-0a1b2c3d4e5f',
};

/** Nest's usual error body; `message` is a string except for 422, where it lists every broken rule. */
export class ErrorResponse {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found' })
  error!: string;

  @ApiProperty({ example: 'Task 0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b not found' })
  message!: string;

  @ApiProperty(REQUEST_ID_PROPERTY)
  request_id!: string;
}

export class ValidationErrorResponse {
  @ApiProperty({ example: 422 })
  statusCode!: number;

  @ApiProperty({ example: 'Unprocessable Entity' })
  error!: string;

  @ApiProperty({ type: [String], example: ['title must be shorter than or equal to 200 characters'] })
  message!: string[];

  @ApiProperty(REQUEST_ID_PROPERTY)
  request_id!: string;
}
