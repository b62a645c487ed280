-- Guessing passwords: after a run of failed sign-ins an operator's account refuses every
-- password, the right one too, until locked_until; a successful sign-in clears the count.
alter table operators add column failed_sign_ins bigint not null default 0;
alter table operators add column locked_until bigint;
