import { ApiProperty } from '@nestjs/swagger';

/** Nest's usual error body; `message` is a string except for 422, where it lists every broken rule. */
export class ErrorResponse {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found' })
  error!: string;

  @ApiProperty({ example: 'Task 0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b not found' })
  message!: string;
}

export class ValidationErrorResponse {
  @ApiProperty({ example: 422 })
  statusCode!: number;

  @ApiProperty({ example: 'Unprocessable Entity' })
  error!: string;

  @ApiProperty({ type: [String], example: ['title must be shorter than or equal to 200 characters'] })
  message!: string[];
}
