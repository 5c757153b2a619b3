"""Meetings' tables, indexes and search indexes, squashed.

Replaces 0001_initial to 0009_merge_0007_field_help_texts_0008_names_search_indexes, so a
database migrated by an earlier release counts it as applied and a new one runs it alone.
The full-text and names indexes come after the tables, each over its final columns.
Left out: 0005_remove_control_characters, which only cleaned rows an earlier release stored.
"""

import django.core.validators
import django.db.models.deletion
import django_countries.fields
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from cpec_tracker.records.fulltext import CreateNativeSearchIndex, CreateSearchIndex


class Migration(migrations.Migration):

    replaces = [('meetings', '0001_initial'), ('meetings', '0002_list_indexes'), ('meetings', '0003_search_indexes'), ('meetings', '0002_history'), ('meetings', '0004_merge_0002_history_0003_search_indexes'), ('meetings', '0005_remove_control_characters'), ('meetings', '0005_aliases'), ('meetings', '0006_merge_0005_aliases_0005_remove_control_characters'), ('meetings', '0007_names_in_three_languages'), ('meetings', '0008_names_search_indexes'), ('meetings', '0007_field_help_texts'), ('meetings', '0009_merge_0007_field_help_texts_0008_names_search_indexes')]

    initial = True

    dependencies = [
        ('cpec_tracker', '0001_squashed_0016'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120, unique=True)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed (UTC).')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('title', models.CharField(help_text="The meeting's name, e.g. “5th meeting of the JWG-ICC”.", max_length=300)),
                ('kind', models.CharField(choices=[('working_group_session', 'Working-group session'), ('bilateral_meeting', 'Bilateral meeting'), ('ceremony', 'Ceremony'), ('visit', 'Visit'), ('call', 'Call')], help_text='What kind of meeting it was.', max_length=30)),
                ('sequence_number', models.PositiveSmallIntegerField(blank=True, help_text='Its number in the series: 5 for the 5th meeting.', null=True)),
                ('date', models.DateField(help_text='When it took (or takes) place; read it only as far as its precision.')),
                ('date_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', help_text='How much of the date is known: day, month or year.', max_length=5)),
                ('city', models.CharField(blank=True, help_text='The city where it took place.', max_length=100)),
                ('country', django_countries.fields.CountryField(blank=True, help_text='The country where it took place (ISO 3166 code).', max_length=2)),
                ('summary', models.TextField(blank=True, help_text='What the meeting was about, in a few sentences.')),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('held', 'Held'), ('cancelled', 'Cancelled')], default='held', help_text='Whether it was held, is scheduled or was cancelled.', max_length=10)),
                ('body', models.ForeignKey(blank=True, help_text='The working group or committee this meeting is a session of.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='cpec_tracker.organization')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('themes', models.ManyToManyField(blank=True, help_text='The themes the meeting took up.', related_name='meetings', to='cpec_tracker.theme')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('title_ur', models.CharField(blank=True, help_text='As written in Urdu by a source you cite for it; leave empty if none gives it.', max_length=300, verbose_name='Title in Urdu')),
                ('title_zh_hans', models.CharField(blank=True, help_text='As written in Chinese (Simplified) by a source you cite for it; leave empty if none gives it.', max_length=300, verbose_name='Title in Chinese (Simplified)')),
            ],
            options={
                'ordering': ['-date', 'title'],
            },
        ),
        migrations.CreateModel(
            name='Official',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120, unique=True)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed (UTC).')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('name', models.CharField(help_text="The person's name in English, as sources spell it.", max_length=200)),
                ('native_name', models.CharField(blank=True, help_text='The name in its own script, if a source gives it.', max_length=200)),
                ('country', django_countries.fields.CountryField(blank=True, help_text='The country they serve (ISO 3166 code).', max_length=2)),
                ('bio', models.TextField(blank=True, help_text='A short account of who they are.')),
                ('wikidata_id', models.CharField(blank=True, help_text='Their Wikidata item, e.g. Q12345; empty if none is known.', max_length=20, validators=[django.core.validators.RegexValidator('^Q[1-9][0-9]*$', 'A Wikidata id looks like Q12345.')])),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('aliases', models.TextField(blank=True, help_text='Other names and spellings it is known by, one per line (“C-5”, “Chashma-5”). Used by search and by the suggestions on sources.')),
                ('name_ur', models.CharField(blank=True, help_text='As written in Urdu by a source you cite for it; leave empty if none gives it.', max_length=200, verbose_name='Name in Urdu')),
                ('name_zh_hans', models.CharField(blank=True, help_text='As written in Chinese (Simplified) by a source you cite for it; leave empty if none gives it.', max_length=200, verbose_name='Name in Chinese (Simplified)')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalMeeting',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was last changed (UTC).')),
                ('title', models.CharField(help_text="The meeting's name, e.g. “5th meeting of the JWG-ICC”.", max_length=300)),
                ('kind', models.CharField(choices=[('working_group_session', 'Working-group session'), ('bilateral_meeting', 'Bilateral meeting'), ('ceremony', 'Ceremony'), ('visit', 'Visit'), ('call', 'Call')], help_text='What kind of meeting it was.', max_length=30)),
                ('sequence_number', models.PositiveSmallIntegerField(blank=True, help_text='Its number in the series: 5 for the 5th meeting.', null=True)),
                ('date', models.DateField(help_text='When it took (or takes) place; read it only as far as its precision.')),
                ('date_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', help_text='How much of the date is known: day, month or year.', max_length=5)),
                ('city', models.CharField(blank=True, help_text='The city where it took place.', max_length=100)),
                ('country', django_countries.fields.CountryField(blank=True, help_text='The country where it took place (ISO 3166 code).', max_length=2)),
                ('summary', models.TextField(blank=True, help_text='What the meeting was about, in a few sentences.')),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('held', 'Held'), ('cancelled', 'Cancelled')], default='held', help_text='Whether it was held, is scheduled or was cancelled.', max_length=10)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('body', models.ForeignKey(blank=True, db_constraint=False, help_text='The working group or committee this meeting is a session of.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cpec_tracker.organization')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('title_ur', models.CharField(blank=True, help_text='As written in Urdu by a source you cite for it; leave empty if none gives it.', max_length=300, verbose_name='Title in Urdu')),
                ('title_zh_hans', models.CharField(blank=True, help_text='As written in Chinese (Simplified) by a source you cite for it; leave empty if none gives it.', max_length=300, verbose_name='Title in Chinese (Simplified)')),
            ],
            options={
                'verbose_name': 'historical meeting',
                'verbose_name_plural': 'historical meetings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMeeting_themes',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='meetings.historicalmeeting')),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting')),
                ('theme', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cpec_tracker.theme')),
            ],
            options={
                'verbose_name': 'HistoricalMeeting_themes',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Appointment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(help_text='e.g. Foreign Secretary', max_length=200)),
                ('start', models.DateField(blank=True, help_text='Empty when no source gives it.', null=True)),
                ('start_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', help_text='How much of the start date is known: day, month or year.', max_length=5)),
                ('end', models.DateField(blank=True, help_text='Empty while the office is held.', null=True)),
                ('end_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', help_text='How much of the end date is known: day, month or year.', max_length=5)),
                ('organization', models.ForeignKey(blank=True, help_text='The organization the office is in, if any.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='cpec_tracker.organization')),
                ('official', models.ForeignKey(help_text='Who held the office.', on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='meetings.official')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
            ],
            options={
                'ordering': [models.OrderBy(models.F('end'), descending=True, nulls_first=True), models.OrderBy(models.F('start'), descending=True, nulls_last=True), 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAppointment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('title', models.CharField(help_text='e.g. Foreign Secretary', max_length=200)),
                ('start', models.DateField(blank=True, help_text='Empty when no source gives it.', null=True)),
                ('start_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', help_text='How much of the start date is known: day, month or year.', max_length=5)),
                ('end', models.DateField(blank=True, help_text='Empty while the office is held.', null=True)),
                ('end_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', help_text='How much of the end date is known: day, month or year.', max_length=5)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('official', models.ForeignKey(blank=True, db_constraint=False, help_text='Who held the office.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.official')),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, help_text='The organization the office is in, if any.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cpec_tracker.organization')),
            ],
            options={
                'verbose_name': 'historical appointment',
                'verbose_name_plural': 'historical appointments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalOfficial',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was last changed (UTC).')),
                ('name', models.CharField(help_text="The person's name in English, as sources spell it.", max_length=200)),
                ('native_name', models.CharField(blank=True, help_text='The name in its own script, if a source gives it.', max_length=200)),
                ('country', django_countries.fields.CountryField(blank=True, help_text='The country they serve (ISO 3166 code).', max_length=2)),
                ('bio', models.TextField(blank=True, help_text='A short account of who they are.')),
                ('wikidata_id', models.CharField(blank=True, help_text='Their Wikidata item, e.g. Q12345; empty if none is known.', max_length=20, validators=[django.core.validators.RegexValidator('^Q[1-9][0-9]*$', 'A Wikidata id looks like Q12345.')])),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('aliases', models.TextField(blank=True, help_text='Other names and spellings it is known by, one per line (“C-5”, “Chashma-5”). Used by search and by the suggestions on sources.')),
                ('name_ur', models.CharField(blank=True, help_text='As written in Urdu by a source you cite for it; leave empty if none gives it.', max_length=200, verbose_name='Name in Urdu')),
                ('name_zh_hans', models.CharField(blank=True, help_text='As written in Chinese (Simplified) by a source you cite for it; leave empty if none gives it.', max_length=200, verbose_name='Name in Chinese (Simplified)')),
            ],
            options={
                'verbose_name': 'historical official',
                'verbose_name_plural': 'historical officials',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalOutcome',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('order', models.PositiveSmallIntegerField(default=0, help_text="Its place among the meeting's outcomes, as the source gives them.")),
                ('text', models.TextField(help_text="What was agreed or stated, close to the source's words.")),
                ('note', models.TextField(blank=True, help_text="An editor's note, not from the source.")),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, help_text='The meeting where it was agreed or stated.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting')),
                ('stated_by', models.ForeignKey(blank=True, db_constraint=False, help_text='For a point one speaker made; empty when both sides agreed it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.official')),
            ],
            options={
                'verbose_name': 'historical outcome',
                'verbose_name_plural': 'historical outcomes',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalParticipation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('name', models.CharField(blank=True, help_text='For someone the source does not name in full, e.g. “the Foreign Office spokesperson”. Leave empty when an official is chosen.', max_length=200)),
                ('role', models.CharField(choices=[('co_chair', 'Co-chair'), ('chair', 'Chair'), ('host', 'Host'), ('speaker', 'Speaker'), ('participant', 'Participant')], default='participant', help_text='The part they played at the meeting.', max_length=20)),
                ('title_at_meeting', models.CharField(blank=True, help_text='The title they held then, as the source gives it.', max_length=200)),
                ('order', models.PositiveSmallIntegerField(default=0, help_text="Their place in the source's list of participants.")),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, help_text='The meeting taken part in.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting')),
                ('official', models.ForeignKey(blank=True, db_constraint=False, help_text='Who took part, when the tracker knows them as an official.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.official')),
            ],
            options={
                'verbose_name': 'historical participation',
                'verbose_name_plural': 'historical participations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Outcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, help_text="Its place among the meeting's outcomes, as the source gives them.")),
                ('text', models.TextField(help_text="What was agreed or stated, close to the source's words.")),
                ('note', models.TextField(blank=True, help_text="An editor's note, not from the source.")),
                ('meeting', models.ForeignKey(help_text='The meeting where it was agreed or stated.', on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='meetings.meeting')),
                ('stated_by', models.ForeignKey(blank=True, help_text='For a point one speaker made; empty when both sides agreed it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='statements', to='meetings.official')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
            ],
            options={
                'ordering': ['meeting', 'order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Participation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, help_text='For someone the source does not name in full, e.g. “the Foreign Office spokesperson”. Leave empty when an official is chosen.', max_length=200)),
                ('role', models.CharField(choices=[('co_chair', 'Co-chair'), ('chair', 'Chair'), ('host', 'Host'), ('speaker', 'Speaker'), ('participant', 'Participant')], default='participant', help_text='The part they played at the meeting.', max_length=20)),
                ('title_at_meeting', models.CharField(blank=True, help_text='The title they held then, as the source gives it.', max_length=200)),
                ('order', models.PositiveSmallIntegerField(default=0, help_text="Their place in the source's list of participants.")),
                ('meeting', models.ForeignKey(help_text='The meeting taken part in.', on_delete=django.db.models.deletion.CASCADE, related_name='participations', to='meetings.meeting')),
                ('official', models.ForeignKey(blank=True, help_text='Who took part, when the tracker knows them as an official.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='participations', to='meetings.official')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
            ],
            options={
                'ordering': ['meeting', 'order', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.UniqueConstraint(condition=models.Q(('body__isnull', False), ('sequence_number__isnull', False)), fields=('body', 'sequence_number'), name='meeting_sequence_unique_in_series', violation_error_message='This series already has a meeting with this number.'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('sequence_number__isnull', True), ('body__isnull', False), _connector='OR'), name='meeting_sequence_needs_series', violation_error_message='A sequence number needs the series (body) it counts in.'),
        ),
        migrations.AddConstraint(
            model_name='appointment',
            constraint=models.CheckConstraint(condition=models.Q(('end__isnull', True), ('start__isnull', True), ('end__gte', models.F('start')), _connector='OR'), name='appointment_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='outcome',
            constraint=models.UniqueConstraint(fields=('meeting', 'order'), name='outcome_order_unique_in_meeting', violation_error_message='Another outcome of this meeting has this position.'),
        ),
        migrations.AddConstraint(
            model_name='participation',
            constraint=models.CheckConstraint(condition=models.Q(('official__isnull', False), models.Q(('name', ''), _negated=True), _connector='OR'), name='participation_names_someone', violation_error_message='Choose an official or type the name the source gives.'),
        ),
        migrations.AddConstraint(
            model_name='participation',
            constraint=models.UniqueConstraint(condition=models.Q(('official__isnull', False)), fields=('meeting', 'official'), name='participation_once_per_meeting', violation_error_message='This official is already listed for this meeting.'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['publication_status', '-date', 'title'], name='meeting_list_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['publication_status', 'kind', '-date', 'title'], name='meeting_kind_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['publication_status', 'status', '-date', 'title'], name='meeting_status_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['publication_status', 'country', '-date', 'title'], name='meeting_country_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['publication_status', 'title'], name='meeting_by_title_idx'),
        ),
        migrations.AddIndex(
            model_name='official',
            index=models.Index(fields=['publication_status', 'name'], name='official_list_idx'),
        ),
        migrations.AddIndex(
            model_name='official',
            index=models.Index(fields=['publication_status', 'country', 'name'], name='official_country_idx'),
        ),
        CreateSearchIndex(
            model_name='Official',
            columns=['name', 'native_name', 'aliases', 'bio'],
        ),
        CreateSearchIndex(
            model_name='Meeting',
            columns=['title', 'summary', 'city'],
        ),
        CreateNativeSearchIndex(
            model_name='Official',
            columns=['name_ur', 'name_zh_hans', 'native_name', 'aliases'],
        ),
        CreateNativeSearchIndex(
            model_name='Meeting',
            columns=['title_ur', 'title_zh_hans'],
        ),
    ]
