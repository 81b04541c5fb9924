import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmailModule } from '../email/email.module';
import { Invitation } from './invitation.entity';
import { InvitationsService } from './invitations.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

/** Storage of users and invitations; their HTTP routes are served by AuthModule, which guards them. */
@Module({
  imports: [TypeOrmModule.forFeature([User, Invitation]), EmailModule],
  providers: [UsersService, InvitationsService],
  exports: [UsersService, InvitationsService, TypeOrmModule],
})
export class UsersModule {}
