-- Operators' recurring weekly shifts, in the default hotline's time zone, as staff would write
-- them and `hotline operators edit --shift` stores them ("mon-fri 09:00-17:00, sat
-- 10:00-14:00"); empty for none. The queue shows who is due at work and who of them is
-- missing. One value per operator, so a change replaces every shift at once.
alter table operators add column shifts text not null default '';
