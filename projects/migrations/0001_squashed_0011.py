"""Projects' tables, indexes and search indexes, squashed.

Replaces 0001_initial to 0011_wikidata_id_help_text, so a database migrated by an earlier
release counts it as applied and a new one runs it alone. The full-text and names indexes
come after the tables, each over its final columns.
Left out: 0005_remove_control_characters, which only cleaned rows an earlier release stored.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from cpec_tracker.records.fulltext import CreateNativeSearchIndex, CreateSearchIndex


class Migration(migrations.Migration):

    replaces = [('projects', '0001_initial'), ('projects', '0002_list_indexes'), ('projects', '0003_search_indexes'), ('projects', '0002_history'), ('projects', '0004_merge_0002_history_0003_search_indexes'), ('projects', '0005_remove_control_characters'), ('projects', '0005_aliases'), ('projects', '0006_merge_0005_aliases_0005_remove_control_characters'), ('projects', '0007_names_in_three_languages'), ('projects', '0008_names_search_indexes'), ('projects', '0007_field_help_texts'), ('projects', '0009_merge_0007_field_help_texts_0008_names_search_indexes'), ('projects', '0007_project_wikidata_id'), ('projects', '0010_merge_20261129_1019'), ('projects', '0011_wikidata_id_help_text')]

    initial = True

    dependencies = [
        ('cpec_tracker', '0001_squashed_0016'),
        ('meetings', '0001_squashed_0009'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Project',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120, unique=True)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed (UTC).')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('title', models.CharField(help_text="The project's name, as sources give it.", max_length=300)),
                ('kind', models.CharField(choices=[('programme', 'Programme'), ('project', 'Project'), ('facility', 'Facility')], help_text='Whether it is a programme, a project or a facility.', max_length=20)),
                ('sector', models.CharField(blank=True, choices=[('energy', 'Energy'), ('transport', 'Transport and connectivity'), ('industry', 'Industry and SEZs'), ('agriculture', 'Agriculture'), ('social', 'Social and livelihood'), ('ict', 'Information technology'), ('water', 'Water'), ('multi_sector', 'Multi-sector')], help_text='The sector it belongs to.', max_length=20)),
                ('subsector', models.CharField(blank=True, help_text='e.g. nuclear power', max_length=100)),
                ('status', models.CharField(choices=[('announced', 'Announced'), ('planned', 'Planned'), ('under_construction', 'Under construction'), ('operational', 'Operational'), ('completed', 'Completed'), ('suspended', 'Suspended'), ('cancelled', 'Cancelled')], help_text='Where it stands, as the latest source says.', max_length=20)),
                ('province', models.CharField(blank=True, choices=[('balochistan', 'Balochistan'), ('khyber_pakhtunkhwa', 'Khyber Pakhtunkhwa'), ('punjab', 'Punjab'), ('sindh', 'Sindh'), ('gilgit_baltistan', 'Gilgit-Baltistan'), ('azad_kashmir', 'Azad Jammu and Kashmir'), ('islamabad', 'Islamabad Capital Territory'), ('several', 'Several provinces')], help_text='The province of Pakistan where it is.', max_length=20)),
                ('location', models.CharField(blank=True, help_text='Where it is, more precisely: a city, a district, a route.', max_length=200)),
                ('summary', models.TextField(blank=True, help_text='What it is, in a few sentences.')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meetings', models.ManyToManyField(blank=True, help_text='Meetings where it was discussed.', related_name='projects', to='meetings.meeting')),
                ('parent', models.ForeignKey(blank=True, help_text='The programme this is part of (CPEC 2.0 is the umbrella of its parts).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='parts', to='projects.project')),
                ('themes', models.ManyToManyField(blank=True, help_text='The themes it belongs to.', related_name='projects', to='cpec_tracker.theme')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('aliases', models.TextField(blank=True, help_text='Other names and spellings it is known by, one per line (“C-5”, “Chashma-5”). Used by search and by the suggestions on sources.')),
                ('title_ur', models.CharField(blank=True, help_text='As written in Urdu by a source you cite for it; leave empty if none gives it.', max_length=300, verbose_name='Title in Urdu')),
                ('title_zh_hans', models.CharField(blank=True, help_text='As written in Chinese (Simplified) by a source you cite for it; leave empty if none gives it.', max_length=300, verbose_name='Title in Chinese (Simplified)')),
                ('wikidata_id', models.CharField(blank=True, help_text='Its Wikidata item, e.g. Q12345; empty if none is known.', max_length=20, validators=[django.core.validators.RegexValidator('^Q[1-9][0-9]*$', 'A Wikidata id looks like Q12345.')])),
            ],
            options={
                'ordering': ['title'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalProject',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was last changed (UTC).')),
                ('title', models.CharField(help_text="The project's name, as sources give it.", max_length=300)),
                ('kind', models.CharField(choices=[('programme', 'Programme'), ('project', 'Project'), ('facility', 'Facility')], help_text='Whether it is a programme, a project or a facility.', max_length=20)),
                ('sector', models.CharField(blank=True, choices=[('energy', 'Energy'), ('transport', 'Transport and connectivity'), ('industry', 'Industry and SEZs'), ('agriculture', 'Agriculture'), ('social', 'Social and livelihood'), ('ict', 'Information technology'), ('water', 'Water'), ('multi_sector', 'Multi-sector')], help_text='The sector it belongs to.', max_length=20)),
                ('subsector', models.CharField(blank=True, help_text='e.g. nuclear power', max_length=100)),
                ('status', models.CharField(choices=[('announced', 'Announced'), ('planned', 'Planned'), ('under_construction', 'Under construction'), ('operational', 'Operational'), ('completed', 'Completed'), ('suspended', 'Suspended'), ('cancelled', 'Cancelled')], help_text='Where it stands, as the latest source says.', max_length=20)),
                ('province', models.CharField(blank=True, choices=[('balochistan', 'Balochistan'), ('khyber_pakhtunkhwa', 'Khyber Pakhtunkhwa'), ('punjab', 'Punjab'), ('sindh', 'Sindh'), ('gilgit_baltistan', 'Gilgit-Baltistan'), ('azad_kashmir', 'Azad Jammu and Kashmir'), ('islamabad', 'Islamabad Capital Territory'), ('several', 'Several provinces')], help_text='The province of Pakistan where it is.', max_length=20)),
                ('location', models.CharField(blank=True, help_text='Where it is, more precisely: a city, a district, a route.', max_length=200)),
                ('summary', models.TextField(blank=True, help_text='What it is, in a few sentences.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, help_text='The programme this is part of (CPEC 2.0 is the umbrella of its parts).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('aliases', models.TextField(blank=True, help_text='Other names and spellings it is known by, one per line (“C-5”, “Chashma-5”). Used by search and by the suggestions on sources.')),
                ('title_ur', models.CharField(blank=True, help_text='As written in Urdu by a source you cite for it; leave empty if none gives it.', max_length=300, verbose_name='Title in Urdu')),
                ('title_zh_hans', models.CharField(blank=True, help_text='As written in Chinese (Simplified) by a source you cite for it; leave empty if none gives it.', max_length=300, verbose_name='Title in Chinese (Simplified)')),
                ('wikidata_id', models.CharField(blank=True, help_text='Its Wikidata item, e.g. Q12345; empty if none is known.', max_length=20, validators=[django.core.validators.RegexValidator('^Q[1-9][0-9]*$', 'A Wikidata id looks like Q12345.')])),
            ],
            options={
                'verbose_name': 'historical project',
                'verbose_name_plural': 'historical projects',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProject_meetings',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='projects.historicalproject')),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting')),
                ('project', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project')),
            ],
            options={
                'verbose_name': 'HistoricalProject_meetings',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProject_themes',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='projects.historicalproject')),
                ('project', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project')),
                ('theme', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cpec_tracker.theme')),
            ],
            options={
                'verbose_name': 'HistoricalProject_themes',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalKeyFigure',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('kind', models.CharField(choices=[('capacity', 'Capacity'), ('cost', 'Cost'), ('jobs', 'Jobs'), ('length', 'Length'), ('other', 'Other')], help_text='What the figure measures.', max_length=20)),
                ('value', models.DecimalField(decimal_places=2, help_text='The number, in the unit given.', max_digits=20)),
                ('unit', models.CharField(help_text='MW, km, USD (the currency for a cost), or what is counted.', max_length=100)),
                ('as_of', models.DateField(help_text='The date the figure was given for.')),
                ('as_of_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', help_text='How much of the “as of” date is known: day, month or year.', max_length=5)),
                ('note', models.CharField(blank=True, help_text="An editor's note on the figure, not from the source.", max_length=300)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('project', models.ForeignKey(blank=True, db_constraint=False, help_text='The project the figure is about.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project')),
            ],
            options={
                'verbose_name': 'historical key figure',
                'verbose_name_plural': 'historical key figures',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMilestone',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('kind', models.CharField(choices=[('agreement', 'Agreement'), ('groundbreaking', 'Groundbreaking'), ('construction_start', 'Construction start'), ('opening', 'Opening'), ('completion', 'Completion'), ('suspension', 'Suspension'), ('other', 'Other')], help_text='What kind of step it was.', max_length=20)),
                ('date', models.DateField(blank=True, help_text='Empty when the source gives none.', null=True)),
                ('date_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', help_text='How much of the date is known: day, month or year.', max_length=5)),
                ('description', models.TextField(help_text="What happened, close to the source's words.")),
                ('status_after', models.CharField(blank=True, choices=[('announced', 'Announced'), ('planned', 'Planned'), ('under_construction', 'Under construction'), ('operational', 'Operational'), ('completed', 'Completed'), ('suspended', 'Suspended'), ('cancelled', 'Cancelled')], help_text="The project's status after this step, if it changed.", max_length=20)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('project', models.ForeignKey(blank=True, db_constraint=False, help_text='The project the step belongs to.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project')),
            ],
            options={
                'verbose_name': 'historical milestone',
                'verbose_name_plural': 'historical milestones',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProjectRole',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('role', models.CharField(choices=[('sponsor', 'Sponsor'), ('financier', 'Financier'), ('developer', 'Developer'), ('contractor', 'Contractor'), ('operator', 'Operator'), ('government_agency', 'Government agency'), ('other', 'Other')], help_text="The organization's part in the project.", max_length=20)),
                ('note', models.CharField(blank=True, help_text="An editor's note on the role, not from the source.", max_length=300)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, help_text='The organization taking part in it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cpec_tracker.organization')),
                ('project', models.ForeignKey(blank=True, db_constraint=False, help_text='The project.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project')),
            ],
            options={
                'verbose_name': 'historical project role',
                'verbose_name_plural': 'historical project roles',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='KeyFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('capacity', 'Capacity'), ('cost', 'Cost'), ('jobs', 'Jobs'), ('length', 'Length'), ('other', 'Other')], help_text='What the figure measures.', max_length=20)),
                ('value', models.DecimalField(decimal_places=2, help_text='The number, in the unit given.', max_digits=20)),
                ('unit', models.CharField(help_text='MW, km, USD (the currency for a cost), or what is counted.', max_length=100)),
                ('as_of', models.DateField(help_text='The date the figure was given for.')),
                ('as_of_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', help_text='How much of the “as of” date is known: day, month or year.', max_length=5)),
                ('note', models.CharField(blank=True, help_text="An editor's note on the figure, not from the source.", max_length=300)),
                ('project', models.ForeignKey(help_text='The project the figure is about.', on_delete=django.db.models.deletion.CASCADE, related_name='key_figures', to='projects.project')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
            ],
            options={
                'ordering': ['project', 'kind', '-as_of'],
            },
        ),
        migrations.CreateModel(
            name='Milestone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('agreement', 'Agreement'), ('groundbreaking', 'Groundbreaking'), ('construction_start', 'Construction start'), ('opening', 'Opening'), ('completion', 'Completion'), ('suspension', 'Suspension'), ('other', 'Other')], help_text='What kind of step it was.', max_length=20)),
                ('date', models.DateField(blank=True, help_text='Empty when the source gives none.', null=True)),
                ('date_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', help_text='How much of the date is known: day, month or year.', max_length=5)),
                ('description', models.TextField(help_text="What happened, close to the source's words.")),
                ('status_after', models.CharField(blank=True, choices=[('announced', 'Announced'), ('planned', 'Planned'), ('under_construction', 'Under construction'), ('operational', 'Operational'), ('completed', 'Completed'), ('suspended', 'Suspended'), ('cancelled', 'Cancelled')], help_text="The project's status after this step, if it changed.", max_length=20)),
                ('project', models.ForeignKey(help_text='The project the step belongs to.', on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='projects.project')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
            ],
            options={
                'ordering': ['project', models.OrderBy(models.F('date'), nulls_last=True), 'id'],
            },
        ),
        migrations.CreateModel(
            name='ProjectRole',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('sponsor', 'Sponsor'), ('financier', 'Financier'), ('developer', 'Developer'), ('contractor', 'Contractor'), ('operator', 'Operator'), ('government_agency', 'Government agency'), ('other', 'Other')], help_text="The organization's part in the project.", max_length=20)),
                ('note', models.CharField(blank=True, help_text="An editor's note on the role, not from the source.", max_length=300)),
                ('organization', models.ForeignKey(help_text='The organization taking part in it.', on_delete=django.db.models.deletion.PROTECT, related_name='project_roles', to='cpec_tracker.organization')),
                ('project', models.ForeignKey(help_text='The project.', on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='projects.project')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
            ],
            options={
                'ordering': ['project', 'role', 'organization'],
                'constraints': [models.UniqueConstraint(fields=('project', 'organization', 'role'), name='project_role_unique', violation_error_message='This organization already has this role in the project.')],
            },
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['publication_status', 'title'], name='project_list_idx'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['publication_status', 'status', 'title'], name='project_status_idx'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['publication_status', 'sector', 'title'], name='project_sector_idx'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['publication_status', 'province', 'title'], name='project_province_idx'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['publication_status', 'kind', 'title'], name='project_kind_idx'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['publication_status', 'updated_at'], name='project_by_updated_at_idx'),
        ),
        CreateSearchIndex(
            model_name='Project',
            columns=['title', 'aliases', 'subsector', 'location', 'summary'],
        ),
        CreateNativeSearchIndex(
            model_name='Project',
            columns=['title_ur', 'title_zh_hans', 'aliases'],
        ),
    ]
